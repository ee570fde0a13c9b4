from .cli import main

if __name__ == "__main__":  # not when a spawned process (the GiNZA process) imports this module
    raise SystemExit(main())
