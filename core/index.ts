/**
 * spike's headless core: the room protocol, the RoomClient and the project model. No DOM, no lit.
 * The preview build pipeline (sucrase + acorn, ~80 KB gzip) is a separate entry, `core/build/index.ts` (`spike/core/build`),
 * so a page that only edits never loads it.
 */
export {
  AuthKind,
  CloseCode,
  DEFAULT_LIMITS,
  DENIALS,
  MessageType,
  ProtocolError,
  SyncStep,
  TERMINAL_CLOSE_CODES,
  VISIBILITIES,
  decodeMessage,
  isDenial,
  isValidRoomId,
  type Denial,
  type Message,
  type RoomGrant,
  type RoomLimits,
  type RoomRole,
  type SocketRefusal,
  type Visibility,
} from "./protocol.js";
export {
  clerkFrontendApi,
  clerkScriptUrl,
  clerkTokenSource,
  refreshDelayMs,
  tokenExpiresAt,
  type ClerkLike,
  type TokenSource,
} from "./auth.js";
export {
  ApiError,
  apiUrl,
  roomRoutes,
  roomSocketUrl,
  roomUrl,
  type ApiErrorBody,
  type ApiRoute,
  type ChatAccepted,
  type ChatAction,
  type ChatCancelled,
  type ChatCleared,
  type ChatList,
  type ChatQuestion,
  type ChatUndone,
  type FileWritten,
  type HttpResponseLike,
  type Permissions,
  type PermissionsAnswer,
  type PermissionsRequest,
  type PermissionsUpdate,
  type RoomSession,
  type Transcript,
} from "./api.js";
export {
  ASSET_TYPES,
  ASSETS_KEY,
  assetModules,
  assetRoute,
  assetTypeOfName,
  readAsset,
  readAssets,
  type AssetEntry,
  type AssetType,
} from "./assets.js";
export type { AssetDeleted, AssetInfo, AssetList, AssetStored } from "./api.js";
export { RoomHttp, type BlobLike, type FetchLike, type RoomHttpOptions } from "./room-http.js";
export { RoomVersionsHttp, pinnedUrl, versionRoutes } from "./room-versions.js";
export type { RestoreUndone, Version, VersionAuthor, VersionInfo, VersionList, VersionRestored } from "./api.js";
export { reconnectDelay } from "./reconnect.js";
export {
  REMOTE_ORIGIN,
  RoomClient,
  type RoomClientOptions,
  type RoomPeer,
  type RoomStatus,
  type RoomUser,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./room-client.js";
export { acquireRoomClient, roomKey, sharedClientCount, type RoomLease } from "./room-registry.js";
export { generateRoomKey, isRoomKey, roomKeyFromFragment, ROOM_KEY_FRAGMENT } from "./room-key.js";
export {
  PRESENCE_LIMITS,
  presenceSelection,
  presenceState,
  presenceUser,
  sanitizeAwarenessUpdate,
  type PresenceSelection,
  type PresenceUser,
  type RelativePositionJson,
} from "./presence.js";
export {
  DEFAULT_ENTRY,
  FILES_KEY,
  FILE_FLAGS,
  FileOperationError,
  META_KEY,
  addFile,
  deleteFile,
  entryOf,
  fileFlags,
  fileNameProblem,
  fileText,
  filesOf,
  isValidFileName,
  readFiles,
  renameFile,
  renamedTo,
  seedFiles,
  setFileFlags,
  writeFile,
  type FileFlags,
} from "./project.js";
