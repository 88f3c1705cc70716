// End-to-end check of Shoal's Code Storage API with the unmodified @pierre/storage SDK.
// Registers a fresh issuer (an ES256 key generated here) through the admin API, then lets the SDK
// sign its own JWTs and call {SHOAL_URL}/storage/api/v1/... . Exits non-zero on the first failure.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { GitStorage } from '@pierre/storage';

const base = (process.env.SHOAL_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const adminToken = process.env.SHOAL_ADMIN_TOKEN;
if (!adminToken) {
  console.error('set SHOAL_ADMIN_TOKEN to a site administrator token (it registers the storage issuer)');
  process.exit(2);
}

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const issuer = `e2e-${randomUUID().slice(0, 8)}`;
const registered = await fetch(`${base}/api/v1/admin/storage-issuers`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ name: issuer, public_key: publicKey.export({ type: 'spki', format: 'pem' }) }),
});
assert.equal(registered.status, 201, `registering the issuer: ${await registered.text()}`);

const store = new GitStorage({
  name: issuer,
  key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
  apiBaseUrl: `${base}/storage`,
  // The SDK builds git remotes as https://{storageBaseUrl}/{id}.git; Shoal serves them at
  // {gateway}/storage/{id}.git (plain http on a local stack, so the scheme is swapped below).
  storageBaseUrl: `${new URL(base).host}/storage`,
});

const step = async (name, fn) => {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    console.error(`FAIL ${name}: ${e?.stack ?? e}`);
    process.exitCode = 1;
    throw e;
  }
};

const id = `team/${randomUUID().slice(0, 8)}`;
let repo;
let first;
await step('createRepo', async () => {
  repo = await store.createRepo({ id, defaultBranch: 'main' });
  await assert.rejects(store.createRepo({ id }), /already exists/);
});
await step('createCommit (commit-pack)', async () => {
  first = await repo.createCommit({
    targetBranch: 'main', commitMessage: 'first', author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('README.md', '# hello\n').addFileFromString('src/a.txt', 'a\n').send();
  assert.equal(first.refUpdate?.oldSha ?? first.result?.old_sha ?? '0'.repeat(40), '0'.repeat(40));
});
await step('createCommit with expectedHeadSha mismatch is refused', async () => {
  await assert.rejects(repo.createCommit({
    targetBranch: 'main', commitMessage: 'bad', expectedHeadSha: 'f'.repeat(40),
    author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('x.txt', 'x').send());
});
await step('listFiles / getFileStream', async () => {
  const files = await repo.listFiles();
  assert.deepEqual([...files.paths].sort(), ['README.md', 'src/a.txt']);
  const response = await repo.getFileStream({ path: 'README.md' });
  assert.equal(await response.text(), '# hello\n');
});
await step('createCommitFromDiff (diff-commit)', async () => {
  await repo.createCommitFromDiff({
    targetBranch: 'main', commitMessage: 'patch', author: { name: 'E2E', email: 'e2e@example.com' },
    diff: 'diff --git a/src/a.txt b/src/a.txt\n--- a/src/a.txt\n+++ b/src/a.txt\n@@ -1 +1 @@\n-a\n+A\n',
  });
  const response = await repo.getFileStream({ path: 'src/a.txt' });
  assert.equal(await response.text(), 'A\n');
});
await step('listBranches / listCommits', async () => {
  const branches = await repo.listBranches();
  assert.deepEqual(branches.branches.map((b) => b.name), ['main']);
  const commits = await repo.listCommits({ limit: 1 });
  assert.equal(commits.commits.length, 1);
  assert.equal(commits.hasMore, true);
});
await step('getCommitDiff / getBranchDiff', async () => {
  const commits = await repo.listCommits();
  const diff = await repo.getCommitDiff({ sha: commits.commits[0].sha });
  assert.equal(diff.files[0].path, 'src/a.txt');
  await repo.createCommit({
    targetBranch: 'feature', baseBranch: 'main', commitMessage: 'feature',
    author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('feature.txt', 'f\n').send();
  const branchDiff = await repo.getBranchDiff({ branch: 'feature' });
  assert.deepEqual(branchDiff.files.map((f) => f.path), ['feature.txt']);
});
await step('git clone through getRemoteURL (JWT as the password)', async () => {
  const cloneable = await store.createRepo({ id: `clone-${randomUUID().slice(0, 8)}`, defaultBranch: 'main' });
  await cloneable.createCommit({
    targetBranch: 'main', commitMessage: 'for git', author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('hello.txt', 'cloned\n').send();
  const remote = (await cloneable.getRemoteURL({ permissions: ['git:read'] }))
    .replace(/^https:/, new URL(base).protocol);
  const dir = join(mkdtempSync(join(tmpdir(), 'shoal-sdk-')), 'clone');
  execFileSync('git', ['clone', '--quiet', remote, dir], { stdio: 'pipe', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  assert.equal(readFileSync(join(dir, 'hello.txt'), 'utf8'), 'cloned\n');
});
console.log(process.exitCode ? 'FAILED' : 'all storage SDK checks passed');
