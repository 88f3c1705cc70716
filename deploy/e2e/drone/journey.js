'use strict'
// Drives the published drone-node client, unmodified, through a Drone user's main journey against
// Shoal. Environment: SHOAL_URL, SHOAL_TOKEN, DRONE_OWNER, DRONE_REPO. The repository's build 1 must
// have finished, with a first step that printed DRONE_MARKER (default "drone-marker") and a second
// step that sleeps while $HOLD is set, so the restarted build is still running when it is cancelled.
// DRONE_COMMIT_MESSAGE, DRONE_AUTHOR_NAME and DRONE_AUTHOR_EMAIL, when set, are build 1's commit: the
// build must answer them (message, author_name, author_email, a Gravatar-style author_avatar, the
// commit's timestamp), and so must its restart.
// Prints one line per call and "journey complete" at the end; any failed expectation exits 1.

const { Client } = require('drone-node')

const url = process.env.SHOAL_URL
const token = process.env.SHOAL_TOKEN
const owner = process.env.DRONE_OWNER
const repo = process.env.DRONE_REPO
const marker = process.env.DRONE_MARKER || 'drone-marker'
const commit = {
  message: process.env.DRONE_COMMIT_MESSAGE,
  name: process.env.DRONE_AUTHOR_NAME,
  email: process.env.DRONE_AUTHOR_EMAIL
}

function expectCommit (build) {
  if (commit.message === undefined) {
    return
  }
  expect(build.message.trim() === commit.message && build.author_name === commit.name &&
    build.author_email === commit.email, 'the commit\'s message and author on build #' + build.number, build)
  expect(/^https?:\/\/\S+\/[0-9a-f]{64}/.test(build.author_avatar), 'an avatar URL from the email', build.author_avatar)
  expect(isUnix(build.timestamp), 'the commit time in unix seconds', build.timestamp)
}

function expect (condition, what, value) {
  if (!condition) {
    throw new Error('expected ' + what + ', got ' + JSON.stringify(value))
  }
}

function isUnix (value) {
  return Number.isInteger(value) && value > 1500000000 && value < 4000000000
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function main () {
  const client = new Client({ url, token })

  const self = await client.getSelf()
  expect(self.login === 'admin' && self.admin === true && self.active === true, 'the admin user', self)
  expect(isUnix(self.created), 'created in unix seconds', self.created)
  console.log('getSelf: ' + self.login)

  const repos = await client.selfRepos()
  expect(Array.isArray(repos) && repos.some(r => r.slug === owner + '/' + repo), owner + '/' + repo + ' in the user\'s repos', repos)
  console.log('selfRepos: ' + repos.length + ' repositories')

  const got = await client.getRepo(owner, repo)
  expect(got.namespace === owner && got.name === repo && got.active === true && got.scm === 'git', 'the repository', got)
  console.log('getRepo: ' + got.slug + ' active=' + got.active + ' timeout=' + got.timeout)

  const builds = await client.getBuilds(owner, repo)
  expect(Array.isArray(builds) && builds.length >= 1, 'at least one build', builds)
  const first = builds[builds.length - 1]
  expect(first.number === 1 && first.status === 'success', 'build 1 succeeded', first)
  console.log('getBuilds: ' + builds.length + ' builds')

  const build = await client.getBuild(owner, repo, 1)
  expect(build.number === 1 && isUnix(build.created) && isUnix(build.started) && isUnix(build.finished), 'build 1 with unix times', build)
  expect(build.stages.length === 1 && build.stages[0].steps.length === 2, 'one stage of two steps', build.stages)
  expectCommit(build)
  console.log('getBuild: #' + build.number + ' ' + build.status + ' event=' + build.event + ' after=' + build.after +
    ' author=' + build.author_name)

  const lines = await client.getLogs(owner, repo, 1, 1, 1)
  expect(Array.isArray(lines) && lines.some(l => l.out.includes(marker)), 'the marker in the log lines', lines)
  expect(lines.every((l, i) => l.pos === i && Number.isInteger(l.time)), 'pos and time on every line', lines)
  console.log('getLogs: ' + lines.length + ' lines')

  const restarted = await client.retryBuild(owner, repo, 1, { HOLD: '1' })
  expect(restarted.number > 1 && restarted.params.HOLD === '1' && restarted.after === build.after, 'a new build with HOLD=1', restarted)
  expectCommit(restarted)
  console.log('retryBuild: #' + restarted.number + ' ' + restarted.status)

  // Cancel once the agent runs it, as a person would press cancel on a running build.
  let current = restarted
  for (let i = 0; i < 120 && current.status === 'pending'; i++) {
    await sleep(500)
    current = await client.getBuild(owner, repo, restarted.number)
  }
  expect(current.status === 'running', 'the restarted build running (HOLD keeps it busy)', current)
  const cancelled = await client.cancelBuild(owner, repo, restarted.number)
  expect(cancelled.number === restarted.number && cancelled.status === 'killed', 'the build killed', cancelled)
  console.log('cancelBuild: #' + cancelled.number + ' ' + cancelled.status)

  console.log('journey complete')
}

main().catch(error => {
  console.error('journey failed: ' + (error && error.message ? error.message : JSON.stringify(error)))
  if (error && error.config) {
    console.error(JSON.stringify({ url: error.config.url, method: error.config.method, status: error.status }))
  }
  process.exit(1)
})
