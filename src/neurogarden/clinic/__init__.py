"""The clinic application layer: what a clinic's users do (see a patient's record and
alerts, save a profile, schedule a session, lift a block, record a questionnaire, log
recovery, manage accounts), over the engines and the storage. The web app and the CLI
parse input, call these and render; they do not reach the storage themselves."""
