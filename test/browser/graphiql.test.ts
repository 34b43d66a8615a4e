/**
 * GraphiQL in real headless Chromium with every request off this machine refused: the page must
 * come whole from the server (no CDN), open with the server's example, and run createSession and
 * a logLines subscription (GraphQL over SSE) whose lines show in the result pane.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContinueDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { serverForSuite } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('GraphiQL in Chromium, offline', () => {
  // The server's own workspace default (this checkout), where the example program is.
  const suite = serverForSuite({ DEBUG_SERVER_WORKSPACE: fileURLToPath(new URL('../../', import.meta.url)) });
  let browser: Browser;
  /** Requests the page tried to make to anything but this server. */
  const external: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // playwright gives every launch a new, empty profile.
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Replaces the whole text of the Monaco editor inside `container` by typing, as a user does. */
  async function typeInto(page: Page, container: string, text: string): Promise<void> {
    await page.locator(`${container} .monaco-editor >> visible=true`).first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  /** The result pane's text (Monaco draws spaces as no-break spaces). */
  async function shown(page: Page): Promise<string> {
    return (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
  }

  async function run(page: Page, operation: string): Promise<void> {
    await page.locator('.graphiql-execute-button').click();
    // Several operations in the editor: GraphiQL asks which one.
    const choice = page.getByRole('menuitem', { name: operation });
    await choice.click();
  }

  it('loads with the network refused, runs createSession, and streams logLines into the result pane', { timeout: 90_000 }, async () => {
    const context = await browser.newContext();
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') await route.continue();
      else {
        external.push(url.href);
        await route.abort('internetdisconnected');
      }
    });
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/graphql`);
    expect(await page.title()).toBe('debug-server');
    // The server's example, not GraphiQL's welcome text.
    await page.getByText('mutation Create').first().waitFor({ timeout: 20_000 });

    await typeInto(page, '.graphiql-editor-tool', JSON.stringify({ Authorization: `Bearer ${suite.token}` }));
    await run(page, 'Create');
    const response = page.locator('.graphiql-response');
    await response.getByText('"PAUSED"').waitFor({ timeout: 20_000 });
    const id = /"id":\s*"([0-9a-f-]{36})"/.exec(await shown(page))?.[1];
    expect(id).toBeDefined();

    // The program prints once it runs; Follow replays from the first line and stays open.
    await suite.server.ok(ContinueDocument, { id: id ?? '' }, suite.token);
    await page.getByRole('button', { name: 'Variables' }).click();
    await typeInto(page, '.graphiql-editor-tool', JSON.stringify({ id }));
    await run(page, 'Follow');
    await response.getByText('step 5: total is 15').waitFor({ timeout: 20_000 });
    expect(await shown(page)).toMatch(/"stream":\s*"STDOUT"/);
    expect(external).toEqual([]);
    await suite.server.ok(TerminateSessionDocument, { id: id ?? '' }, suite.token);
    await context.close();
  });
});
