/** `GET <server>/api/config`, fetched once per server per page and shared by every element that needs it. */

/** What the elements read from `/api/config` (workers/main/config-route.ts). */
export interface ServerConfig {
  /** Origin serving the preview frame. */
  previewOrigin: string;
  /** Clerk publishable key when the server offers sign-in (`CLERK_PUBLISHABLE_KEY`). */
  clerkPublishableKey?: string;
}

const configs = new Map<string, Promise<ServerConfig>>();

/**
 * The server's client configuration; a failed fetch is forgotten, so the next call tries again.
 * @example const { previewOrigin } = await serverConfig("http://localhost:8787");
 */
export function serverConfig(server: string): Promise<ServerConfig> {
  const origin = new URL(server).origin;
  let config = configs.get(origin);
  if (!config) {
    config = fetch(new URL("/api/config", origin))
      .then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} from ${origin}/api/config`);
        return (await response.json()) as ServerConfig;
      })
      .catch((error: Error) => {
        configs.delete(origin);
        throw error;
      });
    configs.set(origin, config);
  }
  return config;
}
