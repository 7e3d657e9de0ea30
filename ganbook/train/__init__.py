"""Training, framework-free: the loop the backends' Trainers share, its history,
checkpoint files, the data cursor and the schedules."""
