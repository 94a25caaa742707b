"""Validate RegisterTaskDefinition inputs offline with AWS's own API model (Debian's python3-botocore).

Reads one JSON array of inputs on stdin and writes one JSON array of error lists (one report line each).
"""
import json
import sys

import botocore.session
from botocore.validate import ParamValidator

operation = botocore.session.get_session().get_service_model("ecs").operation_model("RegisterTaskDefinition")
validator = ParamValidator()
inputs = json.load(sys.stdin)
reports = []
for params in inputs:
    report = validator.validate(params, operation.input_shape)
    reports.append(report.generate_report().splitlines() if report.has_errors() else [])
json.dump(reports, sys.stdout)
