-- wrk script: replays the queries of a dev.jsonl-style file against icd-serve.
-- Each wrk thread walks the whole query list from its own starting point, so
-- the mix is the query file's (GET /v1/search?q=...&limit=10), plus one code
-- lookup (GET /v1/codes/{first relevant prefix}) after every ten searches.
--
--   ICD_QUERIES=../shared/eval/dev.jsonl wrk -t2 -c32 -d20s -s bench/wrk-queries.lua http://127.0.0.1:PORT
local queries, codes = {}, {}
local counter = 0

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function load(path)
  local f = assert(io.open(path, "r"), "cannot open " .. path)
  for line in f:lines() do
    -- The "q" and first "relevant" fields; JSON escapes in queries are rare
    -- in the dev file and only \" and \\ are undone here.
    local q = line:match('"q"%s*:%s*"(.-[^\\])"')
    if q then
      q = q:gsub('\\"', '"'):gsub("\\\\", "\\")
      queries[#queries + 1] = "/v1/search?limit=10&q=" .. urlencode(q)
    end
    local c = line:match('"relevant"%s*:%s*%[%s*"([^"]+)"')
    if c then codes[#codes + 1] = "/v1/codes/" .. urlencode(c) end
  end
  f:close()
  assert(#queries > 0, "no queries in " .. path)
end

local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  load(os.getenv("ICD_QUERIES") or "../shared/eval/dev.jsonl")
  counter = (tid or 0) * 7919
end

function request()
  counter = counter + 1
  if counter % 11 == 0 and #codes > 0 then
    return wrk.format("GET", codes[math.floor(counter / 11) % #codes + 1])
  end
  return wrk.format("GET", queries[counter % #queries + 1])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
