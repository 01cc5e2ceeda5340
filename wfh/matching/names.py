"""The names of the match targets, defined once (light: the CLI imports it to build its parser).

"provision" is the duty and skill statements of the apprenticeship standards; "duties" is its old
name, kept as an alias for `wfh match --against duties`.
"""

AGAINST = ("provision", "esco-skills", "esco-occupations", "onet-tasks", "onet-dwas", "onet-occupations")
ALIASES = {"duties": "provision"}
# What `wfh match --against` offers (O*NET DWAs are a match-step target only).
CLI_AGAINST = ("provision", "duties", "esco-skills", "esco-occupations", "onet-tasks", "onet-occupations")
