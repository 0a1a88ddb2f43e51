pflow-gateway health gateway --json --call text-tools-shout --args '{"text": "hi"}'
