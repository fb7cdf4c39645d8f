from planpack.cli import main

main()
