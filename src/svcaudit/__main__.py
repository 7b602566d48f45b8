from svcaudit.cli.commands import main

main()
