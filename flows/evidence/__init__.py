"""The files a user sends as evidence: which are refused (``screening``) and what the case
keeps of them (``locker``)."""
