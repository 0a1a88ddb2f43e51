pflow-gateway test gateway --call text-tools-word-count --args '{"text": "one two three"}'
