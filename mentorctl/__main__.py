from mentorctl.cli import main

main()
