"""`linli iot`: the devices' messages in, and simulated devices out (docs/iot.md).

  linli iot [listen] [--client-id ID]     subscribe until stopped (Ctrl-C, SIGTERM)
  linli iot simulate [--scenario mixed|tilt|help|offline|storm] [--seconds N] [--rate N]
                     [--community CODE] [--device IDENTIFIER] [--devices N] [--verbose]
  linli iot simulate --device IDENTIFIER --alarm TYPE [--clear]    one alarm message

`listen` hands each batch to the Celery workers when LINLI_BROKER_URL is set, else
handles it in this process. `--url` names another broker than LINLI_MQTT_URL.
"""

import random
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linli.iot import simulate
from linli.iot.models import Kind
from linli.iot.mqtt import Broker, Subscriber, broker_parse
from linli.iot.simulate import BrokerPublisher, DeviceConnection, SimDevice, Simulator


class Command(BaseCommand):
    help = ("IoT: `listen` (the default) subscribes to the devices' topics; `simulate` "
            "publishes realistic traffic for the devices in the database.")

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["listen", "simulate"],
                            default="listen")
        parser.add_argument("--url", help="the broker (default: LINLI_MQTT_URL)")
        parser.add_argument("--client-id", help="listen: the session's client id (default "
                            "LINLI_MQTT_CLIENT_ID; each subscriber of a shared "
                            "subscription needs its own)")
        parser.add_argument("--scenario", choices=simulate.SCENARIOS, default="mixed")
        parser.add_argument("--seconds", type=float, default=None,
                            help="simulate this long (mixed: 60, 0 = until stopped; "
                                 "storm: the alarms arrive within this many, 10)")
        parser.add_argument("--rate", type=float, default=None,
                            help="messages a second at most (mixed: 20; storm: no limit)")
        parser.add_argument("--community", help="only this community's devices (its code)")
        parser.add_argument("--device", help="the device of a scenario or a one-shot alarm")
        parser.add_argument("--devices", type=int, default=0,
                            help="mixed, storm: a random sample of this many devices")
        parser.add_argument("--alarm", help="one alarm of this type from --device")
        parser.add_argument("--clear", action="store_true",
                            help="with --alarm: the device says the alarm is over")
        parser.add_argument("--verbose", action="store_true",
                            help="print every message, not only alarms and summaries")

    def handle(self, *args, action: str, **options):
        broker = self._broker(options["url"])
        if action == "listen":
            self._listen(options)
        else:
            self._simulate(broker, options)

    def _broker(self, url: str | None) -> Broker:
        try:
            broker = broker_parse(url if url is not None else settings.MQTT_URL)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if broker is None:
            raise CommandError("IoT ingestion is off (LINLI_MQTT_URL=off): set it to the "
                               "broker, e.g. mqtt://127.0.0.1:1883, or pass --url.")
        return broker

    # --- listen -----------------------------------------------------------------------

    def _listen(self, options) -> None:
        subscriber = Subscriber(options["url"], client_id=options["client_id"])
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        subscriber.start()
        self.stdout.write(f"linli iot: subscribing to {subscriber.describe()}. Ctrl-C stops.")
        try:
            while not stop.wait(1):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            subscriber.stop()
            self.stdout.write(f"linli iot: stopped ({subscriber.summary()})")

    # --- simulate ---------------------------------------------------------------------

    def _simulate(self, broker: Broker, options) -> None:
        scenario, identifier = options["scenario"], options["device"]
        if options["alarm"] and not identifier:
            raise CommandError("--alarm needs --device IDENTIFIER.")
        rng = random.Random()
        devices = simulate.devices_load(community=options["community"],
                                        identifier=identifier, rng=rng)
        if not devices:
            raise CommandError("No device to simulate: " + (
                f"no active device {identifier!r}." if identifier else
                "the registry has none (load the demo: linli demo)."))
        try:
            publisher = BrokerPublisher(broker)
        except simulate.Unreachable as exc:
            raise CommandError(f"{exc}. Is Mosquitto running?") from None
        sim = Simulator(publisher, self.stdout.write, rng=rng, verbose=options["verbose"])
        what = "one alarm" if options["alarm"] else scenario
        self.stdout.write(f"linli iot simulate: {what} on {broker}, {len(devices)} devices. "
                          "Ctrl-C stops.")
        try:
            self._scenario(sim, broker, devices, options)
        except KeyboardInterrupt:
            pass
        except simulate.Unreachable as exc:
            raise CommandError(str(exc)) from None
        finally:
            missing = publisher.close()
            self.stdout.write(sim.summary() + (f"; {missing} not acknowledged by the broker"
                                               if missing else ""))

    def _scenario(self, sim: Simulator, broker: Broker, devices: list[SimDevice],
                  options) -> None:
        scenario, rng = options["scenario"], sim.rng
        if options["alarm"]:
            sim.one_shot(devices[0], options["alarm"], options["clear"])
        elif scenario in ("mixed", "storm"):
            if options["devices"]:
                devices = rng.sample(devices, min(options["devices"], len(devices)))
            if scenario == "mixed":
                sim.mixed(devices, 60 if options["seconds"] is None else options["seconds"],
                          options["rate"] or 20)
            else:
                sim.storm(devices, options["seconds"] or 10, options["rate"] or 0)
        elif scenario == "tilt":
            sim.tilt(self._one(devices, Kind.MANHOLE, options["device"], rng))
        elif scenario == "help":
            sim.help(self._one(devices, Kind.HELP_BUTTON, options["device"], rng))
        else:
            device = self._one(devices, None, options["device"], rng)
            sim.offline(device, DeviceConnection(broker, device))

    def _one(self, devices: list[SimDevice], kind: str | None, identifier: str | None,
             rng: random.Random) -> SimDevice:
        fitting = [device for device in devices if kind is None or device.kind == kind]
        if not fitting:
            what = f"{identifier} is not a {kind} device" if identifier else \
                f"no {kind} device here"
            raise CommandError(f"This scenario needs a {kind} device: {what}.")
        return rng.choice(fitting)
