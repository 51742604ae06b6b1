"""The home page: what awaits the signed-in user, each feature answering for its own lists."""
