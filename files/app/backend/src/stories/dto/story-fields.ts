/** Limits shared by the DTOs and the schema (src/database/schema.ts). */
export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;
export const IMAGE_KEY_MAX = 512;
/** Story images live under this prefix of the uploads bucket (the storage layer's `uploads/stories/`). */
export const IMAGE_KEY_PREFIX = 'uploads/stories/';
// One segment of a key: S3's "safe" characters, and never '.' or '..'.
const SEGMENT = String.raw`(?!\.\.?(?:/|$))[A-Za-z0-9!_.*'()-]+`;
/** A key below the prefix made of such segments: no empty segment, no leading or trailing '/'. */
export const IMAGE_KEY_PATTERN = new RegExp(`^uploads/stories/${SEGMENT}(?:/${SEGMENT})*$`);
