for rate in 1 2 3; do
  pflow -p -o cents ./quote.pflow.md text="the quick brown fox" rate="$rate"
done
for replica in contextforge-1 contextforge-2; do
  echo "$replica: $(docker compose logs "$replica" | grep -o 'Invoking tool: [a-z-]*' | cut -d' ' -f3 | sort -u | paste -sd' ')"
done
