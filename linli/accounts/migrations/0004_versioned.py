"""Version counters for the tables the API's token cache copies (core.versioned). A token's
`last_used_at`, touched at most once a minute by every busy client, does not count."""

from django.db import migrations

from linli.core.db import versioned

TOKEN_COLUMNS = ("user_id", "name", "prefix", "secret_hash", "created_at", "expires_at",
                 "revoked_at")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_alter_roleassignment_role")]
    operations = [
        versioned("accounts_user"),
        versioned("accounts_apitoken", TOKEN_COLUMNS),
        versioned("accounts_roleassignment"),
    ]
