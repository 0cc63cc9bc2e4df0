-- Personal data kept beside the journal, not in it: a detainee record's particulars
-- (truce_core::provisions::KeptPerson, salted canonical JSON). The record's journal entry
-- holds only their SHA-256, so this row can be erased (a journaled admin act) while every
-- payload hash, leaf and proof stays valid. Part of the record, not a projection: a
-- rebuild leaves it alone.
CREATE TABLE personal_data (
    seq  INTEGER PRIMARY KEY,   -- the record.added entry
    body BLOB    NOT NULL
) STRICT;
