/**
 * `DEV_MODE`: true in `npm run dev`'s builds only (scripts/build/rollup-plugins.mjs defines it). Dev-only checks and
 * warnings sit behind it; every other build replaces it with false and drops them, as lit does with its own.
 * @example if (DEV_MODE && !isValidRoomId(room)) console.warn(`room "${room}" is not a valid room id`);
 */
declare const DEV_MODE: boolean;
