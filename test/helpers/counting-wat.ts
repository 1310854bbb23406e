/** The streaming test module (see scripts/counting-wat.mjs, shared with the frame-size script). */
export { countingWat } from '../../scripts/counting-wat.mjs';
