"""Every change to the network's data: views, admin screens, tasks and commands call
these functions; nothing else saves the network's models."""
