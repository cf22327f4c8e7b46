"""The party organisation tree over the area tree, the joint committee's seats and the
xlsx import (the members part fills this in)."""
