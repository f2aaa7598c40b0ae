from ai_toolbox.cli import main

main()
