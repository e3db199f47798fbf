"""The law the bot applies, one pack per jurisdiction behind one interface."""
