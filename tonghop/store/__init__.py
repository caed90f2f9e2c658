"""What a round keeps on disk between runs: the registry, round files, atomic writes, the lock."""
