// Date.now() comes from the WASI realtime clock, Math.random() is seeded from it: both differ
// from run to run.
print(Date.now());
print(Math.random());
