/**
 * The agent token format (agent-tokens.ts) and the role an agent's user id has under a room's policy
 * (room-permissions.ts roleIn): the token's scope, or nothing, never the room's public role.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { policyOf, roleIn } from "../durable-objects/room-permissions.js";
import { agentTokenIdOf, agentTokenRoom, agentUserId, hashAgentToken, newAgentToken } from "./agent-tokens.js";

describe("agent token format", () => {
  it("names its room, has a 43-character secret and a 16-character id, and differs every time", () => {
    const { token, id } = newAgentToken("demo-room_1");
    assert.match(token, /^sat1\.ZGVtby1yb29tXzE\.[A-Za-z0-9_-]{43}$/);
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(agentTokenRoom(token), "demo-room_1");
    assert.notEqual(newAgentToken("demo-room_1").token, token);
    assert.equal(agentTokenRoom(newAgentToken("x".repeat(64)).token), "x".repeat(64));
  });

  it("reads no room from anything that is not a well-formed token", () => {
    const secret = "a".repeat(43);
    for (const token of [
      "",
      "sat1..",
      `sat1.ZGVtbw.${secret}x`, // secret too long
      `sat1.ZGVtbw.${secret.slice(1)}`, // too short
      `sat2.ZGVtbw.${secret}`,
      `sat1.${Buffer.from("a/b").toString("base64url")}.${secret}`, // not a room id
      `sat1.${Buffer.from("café").toString("base64url")}.${secret}`,
      `sat1.ZGVtbw==.${secret}`,
      `Bearer sat1.ZGVtbw.${secret}`,
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyX2EifQ.sig",
    ]) {
      assert.equal(agentTokenRoom(token), null, token);
    }
    assert.equal(agentTokenRoom(`sat1.ZGVtbw.${secret}`), "demo");
  });

  it("hashes to the SHA-256 hex of the whole token", async () => {
    assert.equal(await hashAgentToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("acts as agent:<id>, which only agent ids have", () => {
    assert.equal(agentUserId("q3XhR0m2aB9cD1eF"), "agent:q3XhR0m2aB9cD1eF");
    assert.equal(agentTokenIdOf("agent:q3XhR0m2aB9cD1eF"), "q3XhR0m2aB9cD1eF");
    assert.equal(agentTokenIdOf("user_agent"), null);
    assert.equal(agentTokenIdOf(null), null);
  });
});

describe("an agent's role in a room", () => {
  const agents = new Map([["editTokenId00000", "editor" as const], ["readTokenId00000", "viewer" as const]]);
  it("is its token's scope whatever the visibility, and nothing for an unknown or revoked token, even in a public room", () => {
    for (const visibility of ["public", "readonly", "private"] as const) {
      const policy = policyOf({ owner: visibility === "public" ? null : "user_owner", visibility, editors: [], members: [] }, agents);
      assert.equal(roleIn(policy, "agent:editTokenId00000"), "editor", visibility);
      assert.equal(roleIn(policy, "agent:readTokenId00000"), "viewer", visibility);
      assert.equal(roleIn(policy, "agent:revokedId0000000"), null, visibility);
      assert.equal(roleIn(policy, "agent:"), null, visibility);
    }
    const publicRoom = policyOf({ owner: null, visibility: "public", editors: [], members: [] });
    assert.equal(roleIn(publicRoom, "agent:editTokenId00000"), null, "another room's token is nobody");
    assert.equal(roleIn(publicRoom, "user_someone"), "editor");
  });
});
