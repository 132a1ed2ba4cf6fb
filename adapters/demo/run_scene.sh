#!/usr/bin/env bash
# The sghub demo scene (README command 1 runs it after building). In a fresh temp folder it
# makes keys and configs, starts a hub with its SQLite store and three adapters (NHS mental
# health trust, council adult social care, police) on loopback, plays a short scene through
# the adapters' spool folders, prints what happened, and stops everything cleanly.
# Usage: run_scene.sh BUILD_DIR [--keep]   (--keep leaves the temp folder for inspection)
set -euo pipefail

build=$(cd "${1:?usage: run_scene.sh BUILD_DIR [--keep]}" && pwd)
keep=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=/usr/bin/python3

sghubd="$build/hub/daemon/sghubd"
sghubctl="$build/hub/ctl/sghubctl"
for bin in "$sghubd" "$sghubctl" "$build"/adapters/{nhs_mh,council,police}/sghub-adapter-*; do
  [ -x "$bin" ] || { echo "demo: $bin is not built" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sghub-demo-XXXXXX")
pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = "--keep" ] || [ $code -ne 0 ]; then
    echo "demo: files kept in $work (logs in $work/logs)"
  else
    rm -rf "$work"
  fi
  exit $code
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
note() { printf '   %s\n' "$*"; }
fail() { echo "demo: $*" >&2; echo "--- hub log ---" >&2; tail -n 30 "$work/logs/hub.log" >&2; exit 1; }

# wait_for PATTERN SECONDS: waits until a file matching the glob exists.
wait_for() {
  local pattern=$1 seconds=$2 i
  for ((i = 0; i < seconds * 10; i++)); do
    compgen -G "$pattern" >/dev/null && return 0
    sleep 0.1
  done
  return 1
}

mkdir -p "$work"/{keys,cards,hubkeys,logs,data}
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

say "Setting up in $work"
"$sghubctl" keygen --agency hub --kind hub --out "$work/hubkeys" >/dev/null
"$sghubctl" keygen-subject --out "$work/keys/subject.key" >/dev/null
declare -A kinds=([nhs.north-trust]=nhs_mh [council.north]=council [police.north]=police)
for agency in nhs.north-trust council.north police.north; do
  "$sghubctl" keygen --agency "$agency" --kind "${kinds[$agency]}" --out "$work/keys" >/dev/null
  cp "$work/keys/$agency.card.toml" "$work/cards/"
done
note "keys: a hub, an NHS trust, a council and a police force (each: transport, signing, sealing)"

cat >"$work/hub.toml" <<TOML
[hub]
id = "hub"
listen = "tcp://127.0.0.1:$port"
status_socket = "$work/status.sock"
data_dir = "$work/data"
key_file = "$work/hubkeys/hub.key"

[limits]
redeliver_after_ms = 2000

[[agency]]
id = "nhs.north-trust"
name = "North Trust mental health"
card = "cards/nhs.north-trust.card.toml"

[[agency]]
id = "council.north"
name = "Northtown adult social care"
card = "cards/council.north.card.toml"

[[agency]]
id = "police.north"
name = "North Police"
card = "cards/police.north.card.toml"
escalation_contact = "council.north"
TOML

adapter_config() {  # agency kind recipients
  local agency=$1 kind=$2 recipients=$3
  cat >"$work/$kind.toml" <<TOML
[agency]
id = "$agency"
kind = "$kind"
key_file = "keys/$agency.key"
subject_key_file = "keys/subject.key"
state_dir = "state/$kind"

[hub]
endpoint = "tcp://127.0.0.1:$port"
card = "hubkeys/hub.card.toml"
reconnect_max = "1s"

[peers]
dir = "cards"

[defaults]
recipients = [$recipients]

[transport]
name = "spool"

[transport.spool]
root = "spool/$kind"
poll_interval = "100ms"
TOML
}
adapter_config nhs.north-trust nhs_mh '"council.north", "police.north"'
adapter_config council.north council '"nhs.north-trust"'
adapter_config police.north police '"nhs.north-trust"'

"$sghubd" --check-config "$work/hub.toml" >/dev/null
"$sghubd" --config "$work/hub.toml" 2>"$work/logs/hub.log" &
pids+=($!)
for kind in nhs_mh council police; do
  "$build/adapters/$kind/sghub-adapter-$kind" --config "$work/$kind.toml" 2>"$work/logs/$kind.log" &
  pids+=($!)
done
for ((i = 0; i < 100; i++)); do
  "$sghubctl" status --socket "$work/status.sock" --json >"$work/status.json" 2>/dev/null || true
  if "$py" - "$work/status.json" <<'PY' 2>/dev/null; then break; fi
import json, sys
s = json.load(open(sys.argv[1]))
sys.exit(0 if sum(1 for a in s["agencies"] if a["connected"]) == 3 else 1)
PY
  sleep 0.1
done
note "hub listening on 127.0.0.1:$port (CurveZMQ), store $work/data/sghub.db"
note "three adapters connected, each with its spool folder: inbox/ sent/ failed/ outbox/ notices/"

"$py" "$here/make_scene_documents.py" "$root/docs/adapters/examples" "$work/scene"
spool="$work/spool"
drop() {  # kind file: write NAME.tmp then rename, as an agency system would
  cp "$2" "$spool/$1/inbox/.$(basename "$2").tmp"
  mv "$spool/$1/inbox/.$(basename "$2").tmp" "$spool/$1/inbox/$(basename "$2")"
}

# ---------------------------------------------------------------------------------------
say "1. The NHS trust raises a concern: suspected mate crime and cuckooing (FHIR R4 bundle)"
note "Daniel told his care coordinator two 'friends' moved into his flat and take his money."
note "He agreed the council and the police may be told (consent given, scoped, with expiry)."
drop nhs_mh "$work/scene/01-nhs-concern-mate-crime.json"
wait_for "$spool/nhs_mh/sent/01-*.receipt" 20 || fail "the concern was not accepted"
note "the hub's receipt to the NHS adapter:"
sed 's/^/     | /' "$spool/nhs_mh/sent/01-nhs-concern-mate-crime.json.receipt"
concern_id=$(sed -n 's/^message_id: //p' "$spool/nhs_mh/sent/01-nhs-concern-mate-crime.json.receipt")
wait_for "$spool/council/outbox/alert-$concern_id*" 20 || fail "the council did not receive the concern"
wait_for "$spool/police/outbox/alert-$concern_id*" 20 || fail "the police did not receive the concern"
"$py" - "$spool/council/outbox/alert-$concern_id.json" "$spool/police/outbox/alert-$concern_id.json" <<'PY'
import json, sys
council = json.load(open(sys.argv[1]))
police = json.load(open(sys.argv[2]))
view = council.get("person_view", {})
print("   the council's case system received it as council JSON (Mosaic import):")
print("     | category:", council.get("abuse_category"), "| urgency:", council.get("urgency"))
print("     | in his own words:", json.dumps(view.get("own_words")))
print("     | what he wants:", "; ".join(view.get("desired_outcomes", [])))
account = police.get("account", {})
incident = police.get("incident", {})
print("   the police received an adult-at-risk notification (police JSON, Niche import):")
print("     | hate incident:", incident.get("hate_incident"), "| markers:",
      ", ".join(incident.get("hostility_markers", [])), "| suspected offence:",
      incident.get("suspected_offence"))
print("     | does he want police involved?", account.get("wants_police_involvement"),
      "| safe contact:", account.get("safe_contact_times"))
PY
note "both alerts were sealed end to end: the hub stored and relayed ciphertext it cannot read."

# ---------------------------------------------------------------------------------------
say "2. A second concern, but Daniel refused consent to the police being told"
note "No override basis (vital interests, serious crime, risk to others...) is recorded."
drop nhs_mh "$work/scene/02-nhs-concern-consent-refused.json"
wait_for "$spool/nhs_mh/failed/02-*.error" 20 || fail "the refused concern did not come back"
note "the hub refused it for the police; the NHS adapter's failed/ folder explains why:"
sed 's/^/     | /' "$spool/nhs_mh/failed/02-nhs-concern-consent-refused.json.error" | fold -w 100 -s
[ -z "$(ls "$spool/police/outbox" | grep -v "alert-$concern_id")" ] \
  || fail "the police received an alert they must not have"
note "nothing reached the police."

# ---------------------------------------------------------------------------------------
say "3. The council records its outcome: a section 42 enquiry is opened"
sed "s/@CONCERN_ID@/$concern_id/" "$work/scene/03-council-s42-outcome.json.in" \
  >"$work/scene/03-council-s42-outcome.json"
drop council "$work/scene/03-council-s42-outcome.json"
wait_for "$spool/council/sent/03-*.receipt" 20 || fail "the outcome was not accepted"
outcome_id=$(sed -n 's/^message_id: //p' "$spool/council/sent/03-council-s42-outcome.json.receipt")
wait_for "$spool/nhs_mh/outbox/alert-$outcome_id*" 20 || fail "the NHS trust did not get the outcome"
"$py" - "$spool/nhs_mh/outbox/alert-$outcome_id.json" <<'PY'
import json, sys
bundle = json.load(open(sys.argv[1]))
kinds = [e["resource"]["resourceType"] for e in bundle.get("entry", [])]
print("   the outcome travelled back, sealed, to the NHS trust; RiO receives a FHIR",
      bundle.get("type"), "Bundle with", ", ".join(sorted(set(kinds))))
for e in bundle.get("entry", []):
    r = e["resource"]
    if r["resourceType"] == "Communication":
        for p in r.get("payload", [])[:2]:
            text = p.get("contentString")
            if text:
                print("     |", text[:160])
PY
note "the hub closed the loop for the council; the police have acknowledged nothing yet, so"
note "their copy stays open and will escalate to the NHS trust and the council if it runs late."
wait_for "$spool/nhs_mh/notices/notice-*" 20 || true
note "the NHS trust's notices/ folder holds $(ls "$spool/nhs_mh/notices" | wc -l) signed hub notices (delivery reports)."

# ---------------------------------------------------------------------------------------
say "4. What the operator sees: sghubctl status"
sleep 0.5
"$sghubctl" status --socket "$work/status.sock" || true

say "5. Stopping: adapters and hub get SIGTERM and finish what is in flight"
for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
  kill -TERM "${pids[$i]}"
  wait "${pids[$i]}" || fail "process ${pids[$i]} exited with $?"
done
pids=()
if "$sghubctl" audit verify --db "$work/data/sghub.db" --hub-card "$work/hubkeys/hub.card.toml" >"$work/audit.txt" 2>&1; then
  note "audit trail verified: $(head -n 1 "$work/audit.txt")"
else
  cat "$work/audit.txt"; fail "the audit trail did not verify"
fi
note "everything stopped cleanly."
