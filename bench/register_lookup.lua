-- wrk script: GET /api/register/lookup for NHS numbers drawn at random from a file, so that
-- every request hits a register entry. Usage: wrk ... -s bench/register_lookup.lua URL -- FILE
local numbers = {}
local silent = "true"

function init(args)
  for line in io.lines(args[1]) do numbers[#numbers + 1] = line end
  if args[2] ~= nil then silent = args[2] end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local number = numbers[math.random(#numbers)]
  return wrk.format("GET", "/api/register/lookup?silent=" .. silent .. "&nhs_number=" .. number)
end
