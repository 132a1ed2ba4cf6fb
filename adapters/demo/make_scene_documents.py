#!/usr/bin/python3
"""Writes the demo scene's agency documents into OUT_DIR, dated from today.

The documents are the published examples in docs/adapters/examples/, with consent periods
moved into the future (consent must not have expired) and the few changes each scene needs.
Usage: make_scene_documents.py EXAMPLES_DIR OUT_DIR
"""
import copy
import datetime
import json
import os
import sys

EXT = "https://sghub.example/fhir/StructureDefinition/"


def main():
    examples, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    today = datetime.datetime.now(datetime.timezone.utc)
    consent_end = (today + datetime.timedelta(days=180)).strftime("%Y-%m-%d")

    with open(f"{examples}/nhs_mh-concern.json") as f:
        concern = json.load(f)
    for entry in concern["entry"]:
        r = entry["resource"]
        if r["resourceType"] == "Consent":
            r["dateTime"] = today.strftime("%Y-%m-%d")
            r["provision"]["period"]["end"] = consent_end
        if r["resourceType"] == "ServiceRequest":
            r["authoredOn"] = today.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    write(f"{out}/01-nhs-concern-mate-crime.json", concern)

    # The same person, a second concern: he refused consent to the police being told, and no
    # override basis is recorded. The hub must refuse it for the police and say why.
    refused = copy.deepcopy(concern)
    for entry in refused["entry"]:
        r = entry["resource"]
        if r["resourceType"] == "ServiceRequest":
            r["extension"] = [e for e in r.get("extension", [])
                              if not (e["url"] == EXT + "sghub-recipient"
                                      and e.get("valueString") != "police.north")]
            r["identifier"][0]["value"] = "RIO-SG-DEMO-0002"
        if r["resourceType"] == "Consent":
            r["provision"] = {"type": "deny"}
            r["extension"] = [{
                "url": EXT + "sghub-consent-narrative",
                "valueString": "He does not want the police told; he is frightened of the men.",
            }]
    write(f"{out}/02-nhs-concern-consent-refused.json", refused)

    with open(f"{examples}/council-s42-outcome.json") as f:
        outcome = json.load(f)
    outcome["consent"]["scope"]["expires_at"] = consent_end + "T00:00:00Z"
    outcome["in_reply_to"] = "@CONCERN_ID@"  # filled in once the council has the concern
    write(f"{out}/03-council-s42-outcome.json.in", outcome)


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
