/** The output-flood test module (see scripts/flood-wat.mjs, shared with scripts/flood-time.mjs). */
export { floodWat } from '../../scripts/flood-wat.mjs';
