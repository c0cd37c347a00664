from plaint.cli.main import main

main()
