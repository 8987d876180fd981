-- A refused request (4xx) gives its Idempotency-Key back for the corrected request, and the
-- corrected request must not reach what the refused one reached. The ids a keyed request
-- writes with derive from the key (api/src/idempotency.rs), and Temporal answers an update id
-- it has completed with that update's first answer: a send the e-invoice gate refused, retried
-- with the same key after the customer was fixed, would be refused again. So a refusal is
-- counted rather than the row deleted, and the count goes into the derived ids.
ALTER TABLE idempotency_keys
    ADD COLUMN refusals integer NOT NULL DEFAULT 0
        CONSTRAINT idempotency_keys_refusals_not_negative CHECK (refusals >= 0),
    -- The last request with this key was refused: the next one claims it afresh.
    ADD COLUMN released boolean NOT NULL DEFAULT false;
