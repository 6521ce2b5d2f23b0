ALTER TABLE testimonies ADD COLUMN photo {blob};
ALTER TABLE testimonies ADD COLUMN photo_mime TEXT
