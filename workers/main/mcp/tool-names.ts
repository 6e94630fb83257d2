/** The names of the `/mcp` tools, in a module of their own so that route checks and tests read them without the server. */

/** Every tool the server offers, in the order tools/list gives them. */
export const MCP_TOOLS = [
  "list_files",
  "read_file",
  "get_session",
  "write_file",
  "edit_file",
  "delete_file",
  "get_build_errors",
  "get_console",
  "screenshot",
  "list_versions",
  "restore_version",
  "fork_room",
] as const;
