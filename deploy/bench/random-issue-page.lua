-- wrk script for deploy/bench/run's list_throughput: every request asks for a different page of
-- the issue list (20 to 50 per page, any page of the ISSUES issues), so the list cache rarely has it.
local issues = tonumber(os.getenv("ISSUES") or "10000")

function setup(thread)
    thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
    math.randomseed(seed + os.time())
end

function request()
    local per_page = math.random(20, 50)
    local page = math.random(1, math.max(1, math.floor(issues / per_page)))
    return wrk.format(nil, wrk.path .. "&per_page=" .. per_page .. "&page=" .. page)
end
