from hanout_desktop.app import main

raise SystemExit(main())
