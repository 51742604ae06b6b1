"""Comments on drafts (lấy ý kiến): the secretariat circulates a draft in review to a group
with a deadline; those asked read it in the page and answer for the version they read."""
