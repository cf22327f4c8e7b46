"""Publishes the benchmark's plan at QoS 1 over `--clients` connections, each message at
its moment of the storm, with `ts` (the device's clock) and `sent` (when it was handed to
the broker client) added. Prints JSON: published, acknowledged by the broker, seconds."""

import argparse
import json
import time
from datetime import UTC, datetime
from urllib.parse import urlparse

import paho.mqtt.client as mqtt


def connect(url: str, name: str) -> mqtt.Client:
    parts = urlparse(url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=name)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    if parts.username:
        client.username_pw_set(parts.username, parts.password)
    client.connect(parts.hostname or "127.0.0.1", parts.port or 1883, keepalive=60)
    client.loop_start()
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan")
    parser.add_argument("--mqtt")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--clients", type=int)
    args = parser.parse_args()
    with open(args.plan) as handle:
        plan = json.load(handle)
    clients = [connect(args.mqtt, f"bench-publisher-{i}-{time.time_ns()}")
               for i in range(args.clients)]
    infos = []
    start = time.monotonic()
    for message in plan["messages"]:
        delay = start + message["at"] * args.seconds - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        now = time.time()
        body = {**message["body"], "ts": datetime.fromtimestamp(now, UTC).isoformat(),
                "sent": now}
        # One device's messages always on the same connection: they stay in order.
        client = clients[hash(message["topic"]) % len(clients)]
        infos.append(client.publish(message["topic"], json.dumps(body), qos=1))
    published_in = time.monotonic() - start
    acknowledged = 0
    for info in infos:
        try:
            info.wait_for_publish(timeout=60)
        except (RuntimeError, ValueError):
            continue
        acknowledged += info.is_published()
    for client in clients:
        client.loop_stop()
        client.disconnect()
    print(json.dumps({"published": len(infos), "acknowledged": acknowledged,
                      "seconds": published_in}))


if __name__ == "__main__":
    main()
