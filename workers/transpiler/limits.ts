/** Input limits of the transpiler, shared with the main Worker's proxy so both refuse the same requests the same way. */

/** Largest request body (the whole project as JSON): 2 MiB. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Most files in one bundle request. */
export const MAX_FILES = 256;
/** Most entries in a bundle request's `imports` map. */
export const MAX_IMPORTS = 512;
