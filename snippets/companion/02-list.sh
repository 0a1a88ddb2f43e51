pflow-gateway list
