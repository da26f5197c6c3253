CREATE ALIAS IF NOT EXISTS SLEEP_MS FOR 'io.vigil.demo.services.SlowQueries.sleepMs';
