from coachctl.cli import main

main()
