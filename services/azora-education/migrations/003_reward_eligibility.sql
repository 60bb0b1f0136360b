-- Whether completing a course pays learn-to-earn rewards. Only an admin turns it on, so every
-- existing and new course starts not eligible; completion events carry the value, and Mint's
-- reward policy reads it from them.
ALTER TABLE courses ADD COLUMN reward_eligible boolean NOT NULL DEFAULT false;
