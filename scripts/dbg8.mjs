const ROOT='/work/main';
const { DEFAULT_CONFIG } = await import(ROOT+'/dist/core/config.js');
const { loadOrCreateNodeKey } = await import(ROOT+'/dist/core/keys.js');
const { createEngine, createWarmPool, jobFromModule } = await import(ROOT+'/dist/engine/index.js');
const pool = createWarmPool();
const engine = createEngine({ config: DEFAULT_CONFIG, key: loadOrCreateNodeKey(), sandbox: pool });
engine.warm();
const spec = jobFromModule(ROOT+'/wasm-examples/hello/hello.wasm', DEFAULT_CONFIG);
for (let i = 0; i < 8; i++) {
  await new Promise(r=>setTimeout(r,400));
  const events = [];
  const t = performance.now();
  const r = await engine.run(spec, { stdin: 'x', onEvent: (e) => e.type === 'phase' && events.push(`${e.phase}@${e.at_ms.toFixed(1)}`) });
  console.log((performance.now()-t).toFixed(1), JSON.stringify(r.timing, (k,v)=> typeof v==='number'? +v.toFixed(1):v), events.join(' '));
}
await engine.close();
