"""Every write to devices and alarms, by topic: `ingest` (a message from the broker),
`alarms` (raise, repeat, recover, a person's acknowledge and clear), `health` (heartbeats,
offline, battery), `devices` (the registry), `access` (door counts and welfare watches)."""
