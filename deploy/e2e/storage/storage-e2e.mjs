// End-to-end check of Shoal's Code Storage API with the unmodified @pierre/storage SDK.
// Registers a fresh issuer (an ES256 key generated here) through the admin API, then lets the SDK
// sign its own JWTs and call {SHOAL_URL}/storage/api/v1/... . Exits non-zero on the first failure.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
await step('headFile / getFileStream with Range and If-None-Match', async () => {
  const meta = await repo.headFile({ path: 'README.md' });
  assert.equal(meta.size, 8);
  assert.match(meta.blobSha, /^[0-9a-f]{40}$/);
  assert.equal(meta.etag, `"${meta.blobSha}"`);
  assert.match(meta.lastCommitSha, /^[0-9a-f]{40}$/);
  assert.ok(meta.lastModified instanceof Date);
  const partial = await repo.getFileStream({ path: 'README.md', headers: { range: 'bytes=2-6' } });
  assert.equal(partial.status, 206);
  assert.equal(await partial.text(), 'hello');
  const unchanged = await repo.getFileStream({ path: 'README.md', headers: { ifNoneMatch: meta.etag } });
  assert.equal(unchanged.status, 304);
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
await step('listBranches across pages (cursor / nextCursor / hasMore)', async () => {
  // creation order is the listing order: main, feature (above), then these
  const created = ['main', 'feature'];
  for (let i = 0; i < 7; i++) {
    const name = `page/${i}`;
    await repo.createCommit({
      targetBranch: name, baseBranch: 'main', commitMessage: `branch ${i}`,
      author: { name: 'E2E', email: 'e2e@example.com' },
    }).addFileFromString(`branch-${i}.txt`, `${i}\n`).send();
    created.push(name);
  }
  const seen = [];
  let cursor;
  let pages = 0;
  for (;;) {
    const page = await repo.listBranches(cursor === undefined ? { limit: 3 } : { limit: 3, cursor });
    pages += 1;
    assert.ok(page.branches.length <= 3, `a page holds at most the limit, got ${page.branches.length}`);
    seen.push(...page.branches.map((b) => b.name));
    if (!page.hasMore) {
      assert.equal(page.nextCursor, undefined, 'the last page has no next cursor');
      break;
    }
    assert.ok(page.nextCursor, 'a page with more after it names the next cursor');
    cursor = page.nextCursor;
    assert.ok(pages < 10, 'paging must end');
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, created, 'every branch once, in creation order');
});
await step('listCommits across pages (cursor = commits to skip)', async () => {
  for (let i = 0; i < 5; i++) {
    await repo.createCommit({
      targetBranch: 'main', commitMessage: `commit ${i}`, author: { name: 'E2E', email: 'e2e@example.com' },
    }).addFileFromString('counter.txt', `${i}\n`).send();
  }
  // 2 commits before (first, patch) + 5: newest first, each the parent of the one before it
  const all = (await repo.listCommits({ limit: 100 })).commits;
  assert.equal(all.length, 7);
  assert.deepEqual(all.slice(0, 5).map((c) => c.message), ['commit 4', 'commit 3', 'commit 2', 'commit 1', 'commit 0']);
  for (let i = 0; i + 1 < all.length; i++) {
    assert.equal(all[i].parentShas[0], all[i + 1].sha, 'history is linear, newest first');
  }
  const seen = [];
  let cursor;
  let pages = 0;
  for (;;) {
    const page = await repo.listCommits(cursor === undefined ? { limit: 2 } : { limit: 2, cursor });
    pages += 1;
    seen.push(...page.commits.map((c) => c.sha));
    if (!page.hasMore) {
      assert.equal(page.nextCursor, undefined);
      break;
    }
    cursor = page.nextCursor;
    assert.ok(pages < 10, 'paging must end');
  }
  assert.equal(pages, 4);
  assert.equal(new Set(seen).size, seen.length, 'no commit twice');
  assert.deepEqual(seen, all.map((c) => c.sha), 'the pages together are the whole history, in order');
});
const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' };
const git = (args, cwd) => execFileSync('git', args, { stdio: 'pipe', env: gitEnv, cwd }).toString();
// The SDK builds https:// remotes; a local stack speaks plain http.
const local = (url) => url.replace(/^https:/, new URL(base).protocol);
await step('git clone, push and fetch an id with "/" through getRemoteURL (JWT as the password)', async () => {
  // the seed's own id shape (team/project-alpha): '/', '.', '-', '_', digits and upper case
  const cloneable = await store.createRepo({ id: `Team/clone.${randomUUID().slice(0, 8)}/x_1`, defaultBranch: 'main' });
  await cloneable.createCommit({
    targetBranch: 'main', commitMessage: 'for git', author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('hello.txt', 'cloned\n').send();
  const remote = local(await cloneable.getRemoteURL({ permissions: ['git:read'] }));
  assert.ok(remote.includes(`/storage/${cloneable.id}.git`), `the remote names the id as it is: ${remote.replace(/:[^@/]*@/, ':***@')}`);
  const dir = join(mkdtempSync(join(tmpdir(), 'shoal-sdk-')), 'clone');
  git(['clone', '--quiet', remote, dir]);
  assert.equal(readFileSync(join(dir, 'hello.txt'), 'utf8'), 'cloned\n');
  // a read-only token cannot push; the default one (git:write and git:read, a short ttl) can
  git(['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'pushed by git'], dir);
  assert.throws(() => git(['push', '--quiet', 'origin', 'main'], dir));
  git(['remote', 'set-url', 'origin', local(await cloneable.getRemoteURL({ ttl: 600 }))], dir);
  git(['push', '--quiet', 'origin', 'main', 'main:refs/heads/side'], dir);
  const pushed = git(['rev-parse', 'HEAD'], dir).trim();
  assert.equal((await cloneable.listCommits({ branch: 'main', limit: 1 })).commits[0].sha, pushed);
  assert.deepEqual((await cloneable.listBranches()).branches.map((b) => b.name).sort(), ['main', 'side']);
  // a commit made through the API arrives with git fetch
  const later = await cloneable.createCommit({
    targetBranch: 'main', expectedHeadSha: pushed, commitMessage: 'from the API', author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('api.txt', 'api\n').send();
  git(['fetch', '--quiet', 'origin'], dir);
  assert.equal(git(['rev-parse', 'origin/main'], dir).trim(), later.commitSha ?? later.refUpdate?.newSha);
  // ids git could not reach are refused at creation, before anything exists
  for (const bad of ['team/../escape', '/leading', 'team/x.git', `team/${'y'.repeat(600)}`]) {
    await assert.rejects(store.createRepo({ id: bad }), (e) => e.status === 400, `createRepo(${bad.slice(0, 30)}) is refused`);
  }
});
await step('ephemeral branch: commit, diff, list, clone and push through getEphemeralRemoteURL', async () => {
  const eph = await store.createRepo({ id: `team/eph-${randomUUID().slice(0, 8)}`, defaultBranch: 'main' });
  await eph.createCommit({
    targetBranch: 'main', commitMessage: 'main', author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('README.md', 'main\n').send();
  const draft = await eph.createCommit({
    targetBranch: 'preview', baseBranch: 'main', ephemeral: true, commitMessage: 'draft',
    author: { name: 'E2E', email: 'e2e@example.com' },
  }).addFileFromString('draft.txt', 'draft\n').send();
  const diff = await eph.getBranchDiff({ branch: 'preview', base: 'main', ephemeral: true, ephemeralBase: false });
  assert.deepEqual(diff.files.map((f) => f.path), ['draft.txt']);
  assert.equal(diff.files[0].state, 'added');
  await assert.rejects(eph.getBranchDiff({ branch: 'preview' }), (e) => e.status === 404,
    'an ephemeral branch is no ordinary branch');
  assert.deepEqual((await eph.listBranches()).branches.map((b) => b.name), ['main']);
  assert.deepEqual((await eph.listBranches({ ephemeral: true })).branches.map((b) => b.name), ['preview']);

  const remote = local(await eph.getEphemeralRemoteURL());
  const dir = join(mkdtempSync(join(tmpdir(), 'shoal-sdk-')), 'ephemeral');
  git(['clone', '--quiet', remote, dir]);
  assert.equal(git(['rev-parse', 'HEAD'], dir).trim(), draft.commitSha ?? draft.refUpdate?.newSha);
  assert.equal(git(['branch', '--show-current'], dir).trim(), 'preview');
  assert.equal(readFileSync(join(dir, 'draft.txt'), 'utf8'), 'draft\n');
  assert.ok(!git(['ls-remote', local(await eph.getRemoteURL({ permissions: ['git:read'] }))]).includes('preview'),
    'the ordinary remote does not show ephemeral branches');
  // "git push ephemeral preview": the push lands under the ephemeral namespace
  git(['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'pushed'], dir);
  git(['push', '--quiet', 'origin', 'preview'], dir);
  const pushed = git(['rev-parse', 'HEAD'], dir).trim();
  const branches = await eph.listBranches({ ephemeral: true });
  assert.equal(branches.branches[0].headSha, pushed);
  assert.equal((await eph.listCommits({ branch: 'preview', ephemeral: true })).commits[0].message.trim(), 'pushed');
  assert.deepEqual((await eph.listBranches()).branches.map((b) => b.name), ['main']);
});
await step('getImportRemoteURL: not served, and git says so', async () => {
  const remote = local(await repo.getImportRemoteURL());
  assert.throws(() => git(['ls-remote', remote]), /not found|404/);
});
await step('findOne / listRepos (org-wide JWT)', async () => {
  const found = await store.findOne({ id });
  assert.equal(found?.id, id);
  assert.equal(found?.defaultBranch, 'main');
  assert.equal(await store.findOne({ id: `missing-${randomUUID().slice(0, 8)}` }), null);
  const seen = [];
  let cursor;
  for (let pages = 0; pages < 20; pages++) {
    const page = await store.listRepos(cursor === undefined ? { limit: 2 } : { limit: 2, cursor });
    seen.push(...page.repos.map((r) => r.repoId));
    if (!page.hasMore) break;
    cursor = page.nextCursor;
  }
  assert.ok(seen.includes(id), `listRepos names ${id}: ${seen}`);
  assert.equal(new Set(seen).size, seen.length, 'no repository twice');
  assert.deepEqual((await store.listRepos({ q: id })).repos.map((r) => r.repoId), [id]);
});
await step('createBranch / deleteBranch', async () => {
  const head = (await repo.listCommits({ limit: 1 })).commits[0].sha;
  const created = await repo.createBranch({ baseBranch: 'main', targetBranch: 'from-sdk' });
  assert.equal(created.targetBranch, 'from-sdk');
  assert.equal(created.commitSha, head);
  assert.equal((await repo.listCommits({ branch: 'from-sdk', limit: 1 })).commits[0].sha, head);
  // a refusal reaches the SDK user with Shoal's reason, not only a status
  await assert.rejects(repo.createBranch({ baseBranch: 'main', targetBranch: 'from-sdk' }),
    (e) => e.status === 409 && /branch 'from-sdk' already exists/.test(e.message));
  const deleted = await repo.deleteBranch({ name: 'from-sdk' });
  assert.equal(deleted.name, 'from-sdk');
  await assert.rejects(repo.listCommits({ branch: 'from-sdk' }));
});
await step('createTag / listTags / deleteTag / getCommit', async () => {
  const head = (await repo.listCommits({ limit: 1 })).commits[0];
  const tag = await repo.createTag({ name: 'v1.0.0', target: head.sha });
  assert.equal(tag.sha, head.sha);
  await repo.createTag({ name: 'v1.1.0', target: 'main' });
  const first = await repo.listTags({ limit: 1 });
  assert.deepEqual(first.tags.map((t) => t.name), ['v1.0.0']);
  assert.equal(first.hasMore, true);
  const second = await repo.listTags({ limit: 1, cursor: first.nextCursor });
  assert.deepEqual(second.tags.map((t) => t.name), ['v1.1.0']);
  await repo.deleteTag({ name: 'v1.1.0' });
  assert.deepEqual((await repo.listTags()).tags.map((t) => t.name), ['v1.0.0']);
  const commit = await repo.getCommit({ sha: head.sha });
  assert.equal(commit.commit.sha, head.sha);
  assert.equal(commit.commit.message, head.message);
});
await step('listFilesWithMetadata', async () => {
  const listed = await repo.listFilesWithMetadata();
  assert.deepEqual(listed.files.map((f) => f.path), ['README.md', 'counter.txt', 'src/a.txt']);
  for (const f of listed.files) {
    assert.ok(listed.commits[f.lastCommitSha], `the commit of ${f.path} is described`);
  }
  const counter = listed.files.find((f) => f.path === 'counter.txt');
  assert.equal(listed.commits[counter.lastCommitSha].message.trim(), 'commit 4');
  const top = await repo.listFilesWithMetadata({ recursive: false });
  assert.deepEqual(top.files.map((f) => [f.path, f.type]), [['README.md', 'blob'], ['counter.txt', 'blob'], ['src', 'tree']]);
});
await step('getBlame', async () => {
  const blame = await repo.getBlame({ path: 'src/a.txt' });
  assert.equal(blame.path, 'src/a.txt');
  assert.equal(blame.lines.length, 1);
  assert.equal(blame.lines[0].lineNumber, 1);
  assert.equal(blame.lines[0].summary, 'patch');
});
await step('grep', async () => {
  const found = await repo.grep({ query: { pattern: 'hello' } });
  assert.deepEqual(found.matches.map((m) => m.path), ['README.md']);
  assert.equal(found.matches[0].lines[0].text, '# hello');
  assert.equal(found.matches[0].lines[0].lineNumber, 1);
  const none = await repo.grep({ query: { pattern: 'HELLO', caseSensitive: true } });
  assert.deepEqual(none.matches, []);
  assert.equal(none.hasMore, false);
});
await step('getNote / createNote / appendNote / deleteNote / listNotesRefs', async () => {
  const head = (await repo.listCommits({ limit: 1 })).commits[0].sha;
  await assert.rejects(repo.getNote({ sha: head }), (e) => e.status === 404);
  const created = await repo.createNote({ sha: head, note: 'Reviewed' });
  assert.equal(created.targetRef, 'refs/notes/commits');
  assert.equal(created.baseCommit, undefined, 'no base_commit when the notes ref is new');
  assert.equal(created.result.success, true);
  const read = await repo.getNote({ sha: head });
  assert.equal(read.note, 'Reviewed');
  assert.equal(read.refSha, created.newRefSha);
  await assert.rejects(repo.createNote({ sha: head, note: 'again' }), (e) => e.status === 409);
  const appended = await repo.appendNote({ sha: head, note: 'CI passed', expectedRefSha: created.newRefSha });
  assert.equal(appended.baseCommit, created.newRefSha);
  assert.equal((await repo.getNote({ sha: head })).note, 'Reviewed\n\nCI passed');
  await assert.rejects(repo.appendNote({ sha: head, note: 'late', expectedRefSha: created.newRefSha }), (e) => e.status === 409);
  await repo.createNote({ sha: head, note: 'lgtm', ref: 'reviews' });
  assert.equal((await repo.getNote({ sha: head, ref: 'reviews' })).note, 'lgtm');
  const refs = await repo.listNotesRefs();
  assert.deepEqual(refs.refs.map((r) => r.ref), ['refs/notes/commits', 'refs/notes/reviews']);
  assert.equal(refs.prefix, 'refs/notes/');
  const page = await repo.listNotesRefs({ limit: 1 });
  assert.equal(page.hasMore, true);
  assert.deepEqual((await repo.listNotesRefs({ limit: 1, cursor: page.nextCursor })).refs.map((r) => r.ref), ['refs/notes/reviews']);
  const deleted = await repo.deleteNote({ sha: head });
  assert.equal(deleted.baseCommit, appended.newRefSha);
  await assert.rejects(repo.getNote({ sha: head }), (e) => e.status === 404);
  await assert.rejects(repo.deleteNote({ sha: head }), (e) => e.status === 404);
  await assert.rejects(repo.getNote({ sha: head, ref: 'refs/heads/main' }), (e) => e.status === 400);
});
await step('getArchiveStream', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-archive-'));
  const entries = async (response, name) => {
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/gzip/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename=".*\.tar\.gz"/);
    const file = join(dir, name);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    return execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  };
  // no option: the SDK sends no body at all
  assert.deepEqual(await entries(await repo.getArchiveStream(), 'all.tar.gz'), ['README.md', 'counter.txt', 'src/a.txt']);
  assert.deepEqual(await entries(await repo.getArchiveStream({ includeGlobs: ['src/**'], archivePrefix: 'pkg' }), 'src.tar.gz'),
    ['pkg/src/a.txt']);
  assert.deepEqual(await entries(await repo.getArchiveStream({ ref: first.commitSha, excludeGlobs: ['*.md'] }), 'first.tar.gz'),
    ['src/a.txt']);
  await assert.rejects(repo.getArchiveStream({ archivePrefix: '../up' }), (e) => e.status === 400);
  await assert.rejects(repo.getArchiveStream({ ref: 'no-such-branch' }), (e) => e.status === 404);
});
await step('previewMerge / merge / restoreCommit', async () => {
  const r = await store.createRepo({ id: `merge-${randomUUID().slice(0, 8)}`, defaultBranch: 'main' });
  const author = { name: 'E2E', email: 'e2e@example.com' };
  const c1 = await r.createCommit({ targetBranch: 'main', commitMessage: 'one', author })
    .addFileFromString('a.txt', 'a\n').send();
  const t1 = await r.createCommit({ targetBranch: 'topic', baseBranch: 'main', commitMessage: 'topic', author })
    .addFileFromString('t.txt', 't\n').send();
  const ff = await r.previewMerge({ sourceBranch: 'topic', targetBranch: 'main' });
  assert.equal(ff.status, 'clean');
  assert.equal(ff.result, 'fast_forward');
  assert.equal(ff.mergeBaseSha, c1.commitSha);
  const merged = await r.merge({ sourceBranch: 'topic', targetBranch: 'main', strategy: 'ff_only', expectedTargetSha: c1.commitSha });
  assert.equal(merged.result, 'fast_forward');
  assert.equal(merged.target.newSha, t1.commitSha);
  assert.equal(merged.promotedCommits, 1);
  const m2 = await r.createCommit({ targetBranch: 'main', commitMessage: 'main side', author })
    .addFileFromString('a.txt', 'main\n').send();
  await r.createCommit({ targetBranch: 'topic', commitMessage: 'topic side', author }).addFileFromString('a.txt', 'topic\n').send();
  const conflicted = await r.previewMerge({ sourceBranch: 'topic', targetBranch: 'main', includeContent: true });
  assert.equal(conflicted.status, 'conflicted');
  assert.deepEqual(conflicted.conflictPaths, ['a.txt']);
  assert.equal(conflicted.conflicts[0].ours.content, 'main\n');
  assert.equal(conflicted.conflicts[0].theirs.content, 'topic\n');
  await assert.rejects(r.merge({ sourceBranch: 'topic', targetBranch: 'main', strategy: 'merge' }), (e) => e.status === 409);
  await assert.rejects(r.merge({ sourceBranch: 'topic', targetBranch: 'main', strategy: 'ff_only' }), (e) => e.status === 409);
  const restored = await r.restoreCommit({ targetBranch: 'main', targetCommitSha: c1.commitSha, author, expectedHeadSha: m2.commitSha });
  assert.equal(restored.refUpdate.oldSha, m2.commitSha);
  assert.equal(restored.refUpdate.newSha, restored.commitSha);
  assert.deepEqual([...(await r.listFiles()).paths], ['a.txt']);
  assert.equal(await (await r.getFileStream({ path: 'a.txt' })).text(), 'a\n');
  assert.deepEqual((await r.getCommit({ sha: restored.commitSha })).commit.parentShas, [m2.commitSha]);
  await assert.rejects(r.restoreCommit({ targetBranch: 'main', targetCommitSha: c1.commitSha, author, expectedHeadSha: m2.commitSha }),
    (e) => e.name === 'RefUpdateError' && e.status === 'conflict' && e.refUpdate?.oldSha === restored.commitSha);
  await assert.rejects(r.restoreCommit({ targetBranch: 'main', targetCommitSha: 'b'.repeat(40), author }),
    (e) => e.name === 'RefUpdateError' && e.status === 'not_found');
});
await step('pullUpstream without base_repo is refused (400)', async () => {
  await assert.rejects(repo.pullUpstream(), (e) => e.status === 400 && /has no upstream/.test(e.message));
});
await step('createRepo with a generic provider: an upstream_host off the allow-list or not a bare hostname is refused (400)', async () => {
  await assert.rejects(
    store.createRepo({ id: `gl-${randomUUID().slice(0, 8)}`, baseRepo: { provider: 'gitlab', owner: 'o', name: 'n', upstreamHost: 'gitlab.internal.example' } }),
    (e) => e.status === 400 && /allowed-hosts/.test(e.message));
  await assert.rejects(
    store.createRepo({ id: `gl-${randomUUID().slice(0, 8)}`, baseRepo: { provider: 'gitlab', owner: 'o', name: 'n', upstreamHost: '127.0.0.1' } }),
    (e) => e.status === 400 && /bare DNS hostname/.test(e.message));
  await assert.rejects(
    store.createRepo({ id: `fj-${randomUUID().slice(0, 8)}`, baseRepo: { provider: 'forgejo', owner: 'o', name: 'n' } }),
    (e) => e.status === 400 && /upstream_host is required/.test(e.message));
});
await step('createGitCredential / updateGitCredential / deleteGitCredential', async () => {
  const cred = await store.createGitCredential({ repoId: id, username: 'x-token-auth', password: 'e2e-not-a-real-token' });
  assert.match(cred.id, /^gc_[0-9a-f]{32}$/);
  await assert.rejects(store.createGitCredential({ repoId: id, password: 'again' }), /already exists/);
  const updated = await store.updateGitCredential({ id: cred.id, password: 'rotated' });
  assert.equal(updated.id, cred.id);
  await store.deleteGitCredential({ id: cred.id });
  await assert.rejects(store.deleteGitCredential({ id: cred.id }), /not found/);
  await assert.rejects(store.updateGitCredential({ id: cred.id, password: 'x' }), /not found/);
});
const author = { name: 'E2E', email: 'e2e@example.com' };
const waitFor = async (what, check) => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};
await step('fork: createRepo({baseRepo: {id}}), at ref/sha, pullUpstream from the parent', async () => {
  const parentId = `parent-${randomUUID().slice(0, 8)}`;
  const parent = await store.createRepo({ id: parentId, defaultBranch: 'main' });
  const one = await parent.createCommit({ targetBranch: 'main', commitMessage: 'one', author })
    .addFileFromString('a.txt', 'one\n').send();
  const c1 = one.commitSha ?? one.refUpdate?.newSha;
  await parent.createTag({ name: 'v1', target: 'main' });
  const forked = await store.createRepo({ id: `fork-${randomUUID().slice(0, 8)}`, baseRepo: { id: parentId } });
  const info = (await store.listRepos({ q: forked.id })).repos[0];
  assert.deepEqual(info.baseRepo, { provider: 'code', owner: issuer, name: parentId });
  assert.equal(info.defaultBranch, 'main');
  assert.deepEqual((await forked.listTags()).tags.map((t) => t.name), ['v1']);
  assert.equal((await forked.listCommits({ limit: 1 })).commits[0].sha, c1);
  const two = await parent.createCommit({ targetBranch: 'main', commitMessage: 'two', author })
    .addFileFromString('a.txt', 'two\n').send();
  const c2 = two.commitSha ?? two.refUpdate?.newSha;
  const pinned = await store.createRepo({ id: `pinned-${randomUUID().slice(0, 8)}`, baseRepo: { id: parentId, ref: 'main', sha: c1 } });
  assert.equal((await pinned.listCommits({ limit: 1 })).commits[0].sha, c1);
  await forked.pullUpstream();
  await waitFor('the fork to pull main from its parent',
    async () => (await forked.listCommits({ limit: 1 })).commits[0].sha === c2);
  await assert.rejects(store.createRepo({ id: `orphan-${randomUUID().slice(0, 8)}`, baseRepo: { id: `missing-${randomUUID().slice(0, 8)}` } }));
});
await step('ref policies (refPolicies): refused REST writes and git pushes, per ref', async () => {
  const guarded = await store.createRepo({ id: `team/guarded-${randomUUID().slice(0, 8)}`, defaultBranch: 'main' });
  const first = await guarded.createCommit({ targetBranch: 'main', commitMessage: 'first', author })
    .addFileFromString('a.txt', 'a\n').send();
  const head = first.commitSha ?? first.refUpdate?.newSha;
  const mainReadOnly = [{ pattern: 'main', ops: ['no-push'] }];
  await assert.rejects(guarded.createCommit({ targetBranch: 'main', commitMessage: 'refused', author, refPolicies: mainReadOnly })
    .addFileFromString('b.txt', 'b\n').send());
  assert.equal((await guarded.listCommits({ limit: 1 })).commits[0].sha, head);
  await guarded.createBranch({ baseBranch: 'main', targetBranch: 'side', refPolicies: mainReadOnly });
  await assert.rejects(guarded.deleteBranch({ name: 'side', refPolicies: [{ pattern: 'side', ops: ['no-force-push'] }] }));
  const dir = join(mkdtempSync(join(tmpdir(), 'shoal-sdk-')), 'guarded');
  git(['clone', '--quiet', local(await guarded.getRemoteURL({ refPolicies: mainReadOnly })), dir]);
  git(['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'pushed'], dir);
  let refused = '';
  try {
    git(['push', 'origin', 'HEAD:main', 'HEAD:side'], dir);
  } catch (e) {
    refused = String(e.stderr ?? e.message);
  }
  assert.match(refused, /\[remote rejected\] HEAD -> main \(refs\/heads\/main may not be updated/);
  const pushed = git(['rev-parse', 'HEAD'], dir).trim();
  assert.equal((await guarded.listCommits({ branch: 'side', limit: 1 })).commits[0].sha, pushed);
  assert.equal((await guarded.listCommits({ branch: 'main', limit: 1 })).commits[0].sha, head);
});
await step('deleteRepo', async () => {
  const doomed = await store.createRepo({ id: `doomed-${randomUUID().slice(0, 8)}` });
  const deleted = await store.deleteRepo({ id: doomed.id });
  assert.equal(deleted.repoId, doomed.id);
  assert.equal(await store.findOne({ id: doomed.id }), null);
  await assert.rejects(store.deleteRepo({ id: doomed.id }), /not found/);
});
console.log(process.exitCode ? 'FAILED' : 'all storage SDK checks passed');
