-- One respondent flow per round trip of states, one connection per wrk thread (run wrk with -t N -c N):
--   GET  <page>?new=1   read the CSRF token and the form's one-time key, keep the session cookie
--   POST <page>         the answers; expect 303
--   GET  <thanks>       expect 200; the flow is complete, its wall time recorded
-- Environment: FLOW_PAGE, FLOW_THANKS, FLOW_ANSWERS (urlencoded item answers).
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } timespec;
  int clock_gettime(int clk_id, timespec *tp);
]]
local ts = ffi.new("timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

local page = os.getenv("FLOW_PAGE")
local thanks = os.getenv("FLOW_THANKS")
local answers = os.getenv("FLOW_ANSWERS")
local state, started, cookie, csrf, key = 0, 0, nil, "", ""
durations, errors = {}, 0

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  if state == 0 then
    started = now_ms()
    return wrk.format("GET", page .. "?new=1", headers)
  elseif state == 1 then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrf_token=" .. urlencode(csrf) .. "&idempotency_key=" .. urlencode(key) .. "&" .. answers
    return wrk.format("POST", page, headers, body)
  else
    return wrk.format("GET", thanks, headers)
  end
end

function response(status, headers, body)
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then cookie = set:match("^([^;]+)") end
  if state == 0 and status == 200 then
    csrf = body:match('name="csrf_token"[^>]*value="([^"]+)"') or ""
    key = body:match('name="idempotency_key"[^>]*value="([^"]+)"') or ""
    state = 1
  elseif state == 1 and status == 303 then
    state = 2
  elseif state == 2 and status == 200 then
    table.insert(durations, now_ms() - started)
    state = 0
  else
    errors = errors + 1
    state = 0
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("FLOW_OUT"), "w")
  local errs = 0
  for _, thread in ipairs(threads) do
    errs = errs + thread:get("errors")
    for _, d in ipairs(thread:get("durations")) do out:write(string.format("%.3f\n", d)) end
  end
  out:close()
  io.write(string.format("flow-errors %d socket-errors %d non2xx3xx %d\n", errs,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
