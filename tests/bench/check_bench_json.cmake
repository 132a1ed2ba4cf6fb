# Runs `sghub-bench --smoke --json` and checks that every figure is present and sane.
# Usage: cmake -DBENCH=/path/sghub-bench -DOUT=/path/out.json -P check_bench_json.cmake
execute_process(COMMAND ${BENCH} --smoke --json
                OUTPUT_VARIABLE json ERROR_VARIABLE table RESULT_VARIABLE rc)
file(WRITE ${OUT} "${json}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sghub-bench --smoke failed (${rc}):\n${table}")
endif()

# name:lowest sane value:highest sane value
set(checks
  "accepted_alerts_per_s:100:10000000"
  "end_to_end_alerts_per_s:100:10000000"
  "hub_cpu_us_per_alert:1:100000"
  "p50_accept_us:1:1000000"
  "p99_accept_us:1:1000000"
  "p999_accept_us:1:1000000"
  "p50_deliver_us:1:1000000"
  "p99_deliver_us:1:1000000"
  "p999_deliver_us:1:1000000"
  "backlog_peak_rss_mb:1:4096"
  "backlog_drain_alerts_per_s:100:10000000"
  "restart_ready_ms:0.1:60000"
  "sign_per_s:100:100000000"
  "verify_per_s:100:100000000"
  "seal_per_s:100:100000000"
  "open_per_s:100:100000000")
foreach(check IN LISTS checks)
  string(REPLACE ":" ";" check "${check}")
  list(GET check 0 name)
  list(GET check 1 low)
  list(GET check 2 high)
  string(JSON value ERROR_VARIABLE err GET "${json}" ${name})
  if(err)
    message(FATAL_ERROR "figure ${name} missing from the JSON: ${err}\n${table}")
  endif()
  # CMake compares numbers as integers or floats with LESS/GREATER.
  if(value LESS low OR value GREATER high)
    message(FATAL_ERROR "figure ${name} = ${value} is outside [${low}, ${high}]\n${table}")
  endif()
  if(name MATCHES "^p50_(.*)$")
    string(JSON p99 GET "${json}" "p99_${CMAKE_MATCH_1}")
    if(p99 LESS value)
      message(FATAL_ERROR "p99_${CMAKE_MATCH_1} (${p99}) is below its p50 (${value})")
    endif()
  endif()
endforeach()
message(STATUS "sghub-bench smoke figures are present and sane")
