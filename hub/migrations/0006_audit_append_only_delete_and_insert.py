"""The audit log's append-only rule in PostgreSQL itself, complete.

0005 only guarded UPDATE (a trigger BEFORE UPDATE): DELETE was not covered, so anyone with the
application's SQL could remove entries, and an INSERT could carry any `at`, so back-dated entries could be
slipped in. This replaces the trigger by one that guards all three statements:

- INSERT: `at` must be the present (the column's default, `now()`; a value sent by a client may differ by
  a small clock skew at most).
- UPDATE: only clearing the actor, when a user row is deleted (as before).
- DELETE: only entries the retention purge itself would delete: older than the audit period in force
  (the coordinator's value in hub_retentionpolicy, never less than the policy's minimum of 365 days,
  default 730 – hub/retention.py; a test checks that these numbers agree). So the purge's own path is
  simply "what is due", and someone with the application's SQL can remove nothing younger than a year.

What a trigger cannot do: the role that owns the table can drop the trigger, TRUNCATE the table or disable
triggers (a superuser also via session_replication_role). Production should therefore run migrations as
an owner role and serve with an application role that has only SELECT, INSERT, UPDATE, DELETE on the
audit table (no TRUNCATE, not the owner, not a superuser) – see README, "Audit log".
"""

from django.db import migrations, models
from django.db.models.functions import Now

AUDIT_GUARD = """
CREATE OR REPLACE FUNCTION hub_auditentry_append_only() RETURNS trigger AS $$
DECLARE
    keep_days integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.at < clock_timestamp() - interval '{skew} seconds'
           OR NEW.at > clock_timestamp() + interval '{skew} seconds' THEN
            RAISE EXCEPTION 'audit entries must carry the present time';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.action IS DISTINCT FROM OLD.action OR NEW.target_type IS DISTINCT FROM OLD.target_type
           OR NEW.target_id IS DISTINCT FROM OLD.target_id OR NEW.at IS DISTINCT FROM OLD.at
           OR NEW.detail IS DISTINCT FROM OLD.detail OR NEW.id IS DISTINCT FROM OLD.id
           OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id) THEN
            RAISE EXCEPTION 'audit entries cannot be changed';
        END IF;
        RETURN NEW;
    END IF;
    -- DELETE: only what the retention purge deletes.
    SELECT value INTO keep_days FROM hub_retentionpolicy WHERE key = 'audit_entries';
    keep_days := greatest({minimum}, coalesce(keep_days, {default}));
    IF OLD.at >= clock_timestamp() - make_interval(days => keep_days) THEN
        RAISE EXCEPTION USING MESSAGE = 'audit entries are deleted only by the retention purge, after '
            || keep_days || ' days';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS hub_auditentry_append_only ON hub_auditentry;
CREATE TRIGGER hub_auditentry_append_only BEFORE INSERT OR UPDATE OR DELETE ON hub_auditentry
    FOR EACH ROW EXECUTE FUNCTION hub_auditentry_append_only();
"""
# The numbers the database enforces; hub/tests/test_audit_database.py checks them against hub/retention.py.
CLOCK_SKEW_SECONDS = 120
AUDIT_MINIMUM_DAYS = 365
AUDIT_DEFAULT_DAYS = 730

UPDATE_ONLY = """
CREATE OR REPLACE FUNCTION hub_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF NEW.action IS DISTINCT FROM OLD.action OR NEW.target_type IS DISTINCT FROM OLD.target_type
       OR NEW.target_id IS DISTINCT FROM OLD.target_id OR NEW.at IS DISTINCT FROM OLD.at
       OR NEW.detail IS DISTINCT FROM OLD.detail
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id) THEN
        RAISE EXCEPTION 'audit entries cannot be changed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS hub_auditentry_append_only ON hub_auditentry;
CREATE TRIGGER hub_auditentry_append_only BEFORE UPDATE ON hub_auditentry
    FOR EACH ROW EXECUTE FUNCTION hub_auditentry_append_only();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            AUDIT_GUARD.format(
                skew=CLOCK_SKEW_SECONDS, minimum=AUDIT_MINIMUM_DAYS, default=AUDIT_DEFAULT_DAYS
            )
        )


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UPDATE_ONLY)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0005_retention_audit_statistics"),
    ]

    operations = [
        # The time comes from the database (the application's clock could be anything).
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_default=Now(), db_index=True, verbose_name="when"),
        ),
        migrations.RunPython(guard, unguard),
    ]
