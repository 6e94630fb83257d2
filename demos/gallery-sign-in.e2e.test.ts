/**
 * The gallery's sign-in page (demos/sign-in.html) with Clerk configured, end to end: the built site served by the real
 * Worker with CLERK_JWT_KEY and CLERK_PUBLISHABLE_KEY (a key pair made here; tokens signed locally with Clerk's session
 * claims), Clerk's browser build stood in for at its own address, in Debian's Chromium with real clicks and keystrokes.
 * The page's room is created by typing, claimed with the page's claim token once signed in, and made private; a signed-out
 * visitor of the same link is then refused. Screenshots: test-results/gallery-sign-in-private.png, -refused.png.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";
import { copySite, screenshots } from "../test-support/browser.js";
import { startTestWorker, type TestWorker } from "../workers/test-support.js";
import { createTestSigner, type TestSigner } from "../workers/test-tokens.js";
import { WAIT, openPage, typeAndSeePreview, workingPair } from "../test-support/gallery-e2e.js";

const SITE = copySite("spike-gallery-sign-in-e2e", "sign-in.html");
const shot = screenshots("gallery");

let signer: TestSigner;
let worker: TestWorker;
let browser: Browser;
/** The pages on localhost, so the preview frame (127.0.0.1) is on another site, as deployed. */
let origin: string;

before(async () => {
  signer = await createTestSigner();
  worker = await startTestWorker({ assets: SITE, vars: { CLERK_JWT_KEY: signer.publicKeyPem, CLERK_PUBLISHABLE_KEY: signer.publishableKey } });
  origin = `http://localhost:${worker.url.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await worker?.dispose();
  rmSync(SITE, { recursive: true, force: true });
});

/**
 * Clerk's browser build, stood in for at its real address (the test answers the request; nothing leaves the machine):
 * the part of its documented API the elements and the page use. Signed out until `openSignIn()`, which signs in as
 * `user_author` with tokens the test signs.
 */
const CLERK_STAND_IN = `
(() => {
  const listeners = new Set();
  window.Clerk = {
    publishableKey: document.querySelector("script[data-clerk-publishable-key]")?.dataset.clerkPublishableKey,
    loaded: false,
    session: null,
    user: null,
    async load() { this.loaded = true; },
    openSignIn() {
      this.user = { id: "user_author", fullName: "Ann Author" };
      this.session = { id: "sess_author", getToken: () => window.signToken("user_author") };
      for (const listener of listeners) listener({ session: this.session, user: this.user });
    },
    addListener(listener) {
      listeners.add(listener);
      if (this.loaded) listener({ session: this.session, user: this.user });
      return () => listeners.delete(listener);
    },
  };
})();
`;

test("with Clerk configured, the sign-in page signs in, makes its room private, and a signed-out visitor is refused", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    await context.exposeFunction("signToken", (sub: string) => signer.sign({ sub }));
    await context.route(`https://${new URL(signer.issuer).host}/**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/javascript", body: CLERK_STAND_IN }),
    );
    const page = await openPage(context, `${origin}/sign-in.html`);
    const room = new URL(page.url()).searchParams.get("room")!;
    assert.equal(await page.locator("#not-configured").isHidden(), true);
    const pair = await workingPair(page);
    await typeAndSeePreview(page, pair, "before-signing-in");

    // Not signed in yet: the button says what to do first.
    await page.locator("#make-private").click();
    await page.locator("#claim-status").filter({ hasText: "Sign in first" }).waitFor(WAIT);
    // Clerk's sign-in (the stand-in signs in at once), then the claim with the page's claim token.
    await pair.editor.locator("[part=sign-in]").click(WAIT);
    await page.waitForFunction(() => !!(window as unknown as { Clerk?: { session: unknown } }).Clerk?.session, null, WAIT);
    await page.locator("#make-private").click();
    await page.locator("#claim-status").filter({ hasText: "private now" }).waitFor(WAIT);
    await shot(page, "sign-in-private");

    // The room is private: anonymous reads are refused, and a signed-out visitor's page says so.
    assert.equal((await fetch(`${origin}/live/${room}/session.json`)).status, 401);
    const stranger = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await stranger.route(`https://${new URL(signer.issuer).host}/**`, (route) =>
        route.fulfill({ status: 200, contentType: "text/javascript", body: CLERK_STAND_IN }),
      );
      await stranger.goto(`${origin}/sign-in.html?room=${room}`);
      await stranger.waitForFunction(
        () => /Sign in to open this private room/.test(document.querySelector("spike-editor")?.shadowRoot?.textContent ?? ""),
        null,
        WAIT,
      );
      await shot(stranger, "sign-in-refused");
    } finally {
      await stranger.close();
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
