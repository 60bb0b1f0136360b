-- The relay is now woken in-process after commit (service-kit's outbox signal). A NOTIFY on
-- every outbox insert made PostgreSQL serialise all those commits behind one global lock,
-- capping each service at a few hundred writes per second.
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
DROP FUNCTION IF EXISTS outbox_notify();
